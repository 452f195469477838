import { describeEvent } from '../describe';
import { fmtUtc, Panel, useSlices } from '../common';

/** Live events received since this page connected, newest first. */
export function EventFeed(props: { title?: string; limit?: number }) {
  const shown = useSlices('feed').feed.slice(-(props.limit ?? 200)).reverse();
  return (
    <Panel id="event-feed" title={props.title ?? 'Live event feed'}>
      {
        <ol class="feed scroll" data-testid="event-feed">
          {shown.length === 0 && <li class="empty">No events since this page connected.</li>}
          {shown.map(({ pos, event: e }) => (
            <li key={pos} data-testid={`feed-${pos}`} class={`ev ev-${e.type}`}>
              <span class="muted small">
                #{pos} · m{e.move} · {fmtUtc(e.scenario_time)} · {e.actor}
                {e.member ? ` (${e.member})` : ''}
              </span>{' '}
              {describeEvent(e)}
            </li>
          ))}
        </ol>
      }
    </Panel>
  );
}
