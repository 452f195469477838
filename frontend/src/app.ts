// Singletons shared by the UI: the store and the connection.
import type { Connection } from './connection';
import { store } from './store';

export { store };

let connection: Connection | null = null;

export function setConnection(c: Connection): void {
  connection = c;
}

export function conn(): Connection {
  if (!connection) throw new Error('connection not started');
  return connection;
}
