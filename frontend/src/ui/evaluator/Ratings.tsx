import { useState } from 'preact/hooks';
import { RATINGS, ratingRows, type Rating, type RatingRow } from '../../evaluation';
import { CommandError, Empty, Panel, useCommand, useControlView } from '../common';
import { useGuides } from './useGuides';

const SOURCE = { observation: 'latest observation', objectives: 'lowest of its objectives' };

/** Final P/S/M/U ratings of each objective and core capability for the AAR/IP; without one, the
 *  provisional rating the AAR/IP would print, and where it comes from. */
export function Ratings() {
  const v = useControlView('evaluation');
  const { guides } = useGuides();
  if (!guides) return null;
  const rows = ratingRows(guides.guides, v.evaluation);
  return (
    <Panel id="ratings" title="Ratings (AAR/IP)">
      {rows.length === 0 ? (
        <Empty>No objectives to rate.</Empty>
      ) : (
        <table class="small" data-testid="ratings">
          <thead>
            <tr>
              <th scope="col">Objective or core capability</th>
              <th scope="col">Final rating</th>
              <th scope="col">Set</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <RatingLine key={`${row.subject}:${row.id}`} row={row} />
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function RatingLine(props: { row: RatingRow }) {
  const { row } = props;
  const [rating, setRating] = useState<Rating | ''>((row.final?.rating as Rating | undefined) ?? '');
  const [rationale, setRationale] = useState(row.final?.rationale ?? '');
  const [busy, run, error] = useCommand();
  const id = `${row.subject}-${row.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const save = () => void run({ type: 'set_rating', subject: row.subject, subject_id: row.id, rating: rating || null, rationale: rationale.trim() });
  const by = row.final ? row.final.by_member || row.final.by : '';
  return (
    <tr data-testid={`rating-row-${id}`}>
      <th scope="row" title={row.detail}>
        {row.subject === 'capability' ? <em>{row.label}</em> : row.label}
      </th>
      <td data-testid={`rating-final-${id}`}>
        {row.final ? (
          <>
            <strong>{row.final.rating}</strong> <span class="muted">by {by}</span>
          </>
        ) : row.provisional ? (
          <span class="muted">
            provisional {row.provisional.rating} ({SOURCE[row.provisional.source]})
          </span>
        ) : (
          <span class="muted">not rated</span>
        )}
      </td>
      <td>
        <span class="inline">
          <select aria-label={`Rating of ${row.label}`} data-testid={`rating-select-${id}`} value={rating} onChange={(e) => setRating(e.currentTarget.value as Rating | '')}>
            <option value="">(clear)</option>
            {RATINGS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <input placeholder="rationale" maxLength={4000} aria-label={`Rationale for ${row.label}`} value={rationale} onInput={(e) => setRationale(e.currentTarget.value)} />
          <button type="button" data-testid={`rating-save-${id}`} disabled={busy} onClick={save}>
            Save
          </button>
        </span>
        <CommandError error={error} testId={`rating-error-${id}`} />
      </td>
    </tr>
  );
}
