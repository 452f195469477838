import { useState } from 'preact/hooks';
import { downloadAar, type AarFormat } from '../../api';
import { store } from '../../app';
import { Panel } from '../common';

const EXPORTS: { format: AarFormat; label: string }[] = [
  { format: 'html', label: 'report with charts (HTML)' },
  { format: 'docx', label: 'AAR/IP (Word)' },
  { format: 'xlsx', label: 'Improvement plan (Excel)' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
  { format: 'jsonl', label: 'raw log with hashes (JSONL)' },
  { format: 'csv', label: 'raw log with hashes (CSV)' },
];

export function AarExport(props: { exerciseId: string }) {
  const [busy, setBusy] = useState<AarFormat | ''>('');
  const get = async (format: AarFormat) => {
    setBusy(format);
    try {
      await downloadAar(format, props.exerciseId);
      store.notify('info', `After-action report (${format}) downloaded.`);
    } catch (err) {
      store.notify('error', `AAR export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy('');
    }
  };
  return (
    <Panel id="aar" title="After-action report">
      <p class="muted small">
        Built from the event log: the HSEEP AAR/IP holds the objectives' ratings, strengths, areas for improvement,
        observations and the improvement plan recorded here.
      </p>
      <div class="controls">
        {EXPORTS.map(({ format, label }) => (
          <button key={format} type="button" data-testid={`aar-${format}`} disabled={busy !== ''} onClick={() => void get(format)}>
            {busy === format ? 'Exporting…' : `Export ${label}`}
          </button>
        ))}
      </div>
    </Panel>
  );
}
