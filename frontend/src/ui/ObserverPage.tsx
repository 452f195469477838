import { Attributions } from './player/Attributions';
import { InjectFeed } from './player/Injects';

export function ObserverPage() {
  return (
    <main class="grid" data-testid="observer-page">
      <InjectFeed title="Public injects" />
      <Attributions />
    </main>
  );
}
