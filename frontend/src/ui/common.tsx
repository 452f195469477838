// Small shared UI pieces: store subscription, command helper, formatting.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { conn, store } from '../app';
import { CommandRejected, type Command } from '../connection';
import type { Store } from '../store';
import type { NationInfo, View } from '../types';

/** Re-render the calling component whenever the store changes. */
export function useStore(): Store {
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(() => setVersion(store.version)), []);
  return store;
}

/**
 * Run one user action as a command. A fresh command_id per call (the connection reuses it when
 * resending after a reconnect). Returns true on ack. Rejections are shown by the connection.
 */
export function useCommand(): [boolean, (command: Command) => Promise<boolean>] {
  const [busy, setBusy] = useState(false);
  const run = async (command: Command): Promise<boolean> => {
    setBusy(true);
    try {
      await conn().send(command);
      return true;
    } catch (err) {
      if (!(err instanceof CommandRejected)) store.notify('error', String(err instanceof Error ? err.message : err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}

export function fmtUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

export function fmtNum(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toFixed(digits);
}

export function fmtPc(pc: number | null | undefined): string {
  if (pc === null || pc === undefined || Number.isNaN(pc)) return '—';
  return pc === 0 ? '0' : pc.toExponential(1);
}

export function nationLabel(view: View, id: string | null | undefined): string {
  if (!id) return '—';
  const n = view.nations.find((x) => x.id === id);
  return n ? `${n.name} (${n.id})` : id;
}

export function playedPartners(view: View, me: string | undefined): NationInfo[] {
  return view.nations.filter((n) => n.played && n.id !== me);
}

export function objectName(view: View, id: string | null | undefined): string {
  if (!id) return '—';
  return (
    view.objects?.find((o) => o.id === id)?.name ??
    view.assets?.find((a) => a.id === id)?.name ??
    view.picture?.find((t) => t.object_id === id)?.name ??
    id
  );
}

export function Panel(props: { title: string; id: string; children: ComponentChildren; wide?: boolean }) {
  const headingId = `h-${props.id}`;
  return (
    <section class={'panel' + (props.wide ? ' wide' : '')} aria-labelledby={headingId} data-testid={`panel-${props.id}`}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge status-${props.status}`}>{props.status}</span>;
}

export function SourceBadge(props: { source: string }) {
  return <span class={`badge source-${props.source}`}>{props.source}</span>;
}

let uid = 0;
/** A stable id for label/input pairs. */
export function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++uid}`);
  return id;
}
