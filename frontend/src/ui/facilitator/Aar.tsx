import { useState } from 'preact/hooks';
import { downloadAar } from '../../api';
import { store } from '../../app';
import { Panel } from '../common';

export function AarExport(props: { exerciseId: string }) {
  const [busy, setBusy] = useState<'' | 'json' | 'md'>('');
  const get = async (format: 'json' | 'md') => {
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
      <p class="muted small">Built from the event log; exports include observations recorded here.</p>
      <div class="controls">
        <button type="button" data-testid="aar-json" disabled={busy !== ''} onClick={() => void get('json')}>
          {busy === 'json' ? 'Exporting…' : 'Export JSON'}
        </button>
        <button type="button" data-testid="aar-md" disabled={busy !== ''} onClick={() => void get('md')}>
          {busy === 'md' ? 'Exporting…' : 'Export Markdown'}
        </button>
      </div>
    </Panel>
  );
}
