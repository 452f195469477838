// Buttons that download a picture as a file (CSV track table, or OMM JSON/KVN/XML orbits), with
// the seat token: the team's own picture, or (white cell) the nation's picture it shows.
import { useState } from 'preact/hooks';
import { downloadPicture, PICTURE_EXPORTS, type PictureExportFormat } from '../api';

export function PictureExport(props: { move: number; nation?: string | null; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const save = async (format: PictureExportFormat) => {
    setBusy(true);
    setError('');
    try {
      await downloadPicture(format, props.move, props.nation);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="picture-export" data-testid={props.testId}>
      Export{' '}
      {PICTURE_EXPORTS.map((e) => (
        <button key={e.format} type="button" class="small" disabled={busy} data-testid={`${props.testId}-${e.format}`} onClick={() => void save(e.format)}>
          {e.label}
        </button>
      ))}
      {error && (
        <span class="form-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
