import { Empty, Panel, useTeamView } from '../common';

const TOPIC_LABELS: Record<string, string> = {
  status: 'Status',
  manoeuvre: 'Manoeuvre',
  conjunction: 'Conjunction',
  disclosure: 'Disclosure',
  exercise: 'Exercise',
  request: 'Request',
};

/** What changed for this team and why, newest first: status changes with their observed cause,
 * burns and whether an avoidance worked, disclosures, pauses and answers to requests. */
export function WhyFeed() {
  const entries = useTeamView('why').feed;
  return (
    <Panel id="why" title="What changed and why">
      {entries.length === 0 ? (
        <Empty>Nothing has changed for your team yet.</Empty>
      ) : (
        <ol class="why-feed" data-testid="why-feed" reversed>
          {entries
            .map((entry, i) => ({ entry, i }))
            .reverse()
            .map(({ entry, i }) => (
              <li key={i} data-testid={`why-${i}`} data-topic={entry.topic}>
                <span class="why-move">M{entry.move}</span>{' '}
                <span class="why-topic">{TOPIC_LABELS[entry.topic] ?? entry.topic}</span>{' '}
                <span class="why-text">{entry.text}</span>
              </li>
            ))}
        </ol>
      )}
    </Panel>
  );
}
