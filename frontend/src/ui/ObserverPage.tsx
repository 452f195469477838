import type { View } from '../types';
import { InjectFeed } from './player/Injects';
import { Attributions } from './player/Attributions';

export function ObserverPage(props: { view: View }) {
  return (
    <main class="grid" data-testid="observer-page">
      <InjectFeed injects={props.view.injects ?? []} title="Public injects" />
      <Attributions view={props.view} />
    </main>
  );
}
