import { render } from 'preact';
import { setApiToken } from './api';
import { setConnection, store } from './app';
import { Connection } from './connection';
import './styles.css';
import { takeSeatToken } from './token';
import { App, NoTokenPage } from './ui/App';

const root = document.getElementById('app');
if (root) {
  root.textContent = ''; // drop the static "Loading" placeholder
  const token = takeSeatToken();
  if (!token) {
    render(<NoTokenPage />, root);
  } else {
    setApiToken(token);
    const connection = new Connection(store, token);
    setConnection(connection);
    render(<App />, root);
    connection.start();
  }
}
