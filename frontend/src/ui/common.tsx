// Small shared UI pieces: store subscription, command helper, formatting.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { conn, store } from '../app';
import { CommandRejected, type Command } from '../connection';
import { findObject } from '../objects';
import type { Slice, Store } from '../store';
import type { ControlView, NationCard, TeamView, View } from '../types';
import { isControlView, isTeamView } from '../types';

/**
 * The store the panels below read: the page's own (the default), or another one, such as a
 * replay's read-only store of a seat's view at a past point (ui/facilitator/Replay.tsx).
 */
export const StoreContext = createContext<Store>(store);

/** The store of the calling panel (see StoreContext). */
export function useStore(): Store {
  return useContext(StoreContext);
}

/**
 * Re-render the calling component when one of these store slices changes, and only then: a
 * panel names the slices it shows, so a chat message does not re-render the picture table.
 */
export function useSlices(...slices: Slice[]): Store {
  const from = useStore();
  const [, force] = useReducer((x: number) => x + 1, 0);
  const seen = useRef('');
  seen.current = from.signature(slices);
  useEffect(() => {
    const check = () => {
      const now = from.signature(slices);
      if (now !== seen.current) {
        seen.current = now;
        force(0);
      }
    };
    const unsubscribe = from.subscribe(check);
    // A slice may have moved between this render and the subscription (effects run after
    // paint): a picture decoded from the HTTP cache right after the snapshot, for one.
    check();
    return unsubscribe;
  }, [from]);
  return from;
}

/** The current view (pages render only once one is held), re-rendering on these slices. */
export function useView(...slices: Slice[]): View {
  const s = useSlices('session', ...slices);
  if (!s.view) throw new Error('no view yet');
  return s.view;
}

/** A team's view (its pages render only with one). */
export function useTeamView(...slices: Slice[]): TeamView {
  const view = useView(...slices);
  if (!isTeamView(view)) throw new Error('not a team view');
  return view;
}

/** A control view (white cell, facilitator). */
export function useControlView(...slices: Slice[]): ControlView {
  const view = useView(...slices);
  if (!isControlView(view)) throw new Error('not a control view');
  return view;
}

/**
 * Run one user action as a command. A fresh command_id per call (the connection reuses it when
 * resending after a reconnect). Returns true on ack. A rejection's message (or why the command
 * could not be sent) is `error` until the next run, for the form to show beside its control.
 */
export function useCommand(): [boolean, (command: Command) => Promise<boolean>, string] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (command: Command): Promise<boolean> => {
    setBusy(true);
    setError('');
    try {
      await conn().send(command);
      return true;
    } catch (err) {
      if (err instanceof CommandRejected) setError(`${err.rejection.message} (${err.rejection.code})`);
      else {
        const text = String(err instanceof Error ? err.message : err);
        setError(text);
        store.notify('error', text);
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [busy, run, error];
}

/** The server's refusal of the command a control sent, shown beside that control. */
export function CommandError(props: { error: string; testId: string }) {
  if (!props.error) return null;
  return (
    <p class="form-error" role="alert" data-testid={props.testId}>
      {props.error}
    </p>
  );
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

export function playedPartners(view: View, me: string | undefined): NationCard[] {
  return view.nations.filter((n) => n.played && n.id !== me);
}

/** An object's name as `from` knows it (its picture, then the view's cards). */
export function objectName(view: View, id: string | null | undefined, from: Store = store): string {
  if (!id) return '—';
  return findObject(from, view, id)?.name ?? id;
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
