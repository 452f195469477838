// The client state: what the server told us, plus connection and notice state.
// Mutated in place by the connection and event application; listeners re-render.
import type { Welcome } from './generated/protocol';
import type { ConnectionState, FeedEvent, Notice, View } from './types';

const FEED_LIMIT = 1000;

export class Store {
  welcome: Welcome | null = null;
  view: View | null = null;
  /** Live events received on this page (newest last), capped. */
  feed: FeedEvent[] = [];
  connection: ConnectionState = 'connecting';
  /** Why we are not connected (close code / reason), for the header. */
  connectionDetail = '';
  notices: Notice[] = [];
  /** Seats online now, as far as this seat may know (the server's `presence`, projected per seat). */
  online: string[] = [];
  /** Command types currently awaiting ack/rejected (to disable buttons). */
  inFlight = new Map<string, string>();
  version = 0;

  private listeners = new Set<() => void>();
  private scheduled = false;
  private noticeId = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Schedule one re-render for everything changed in this task. */
  changed(): void {
    this.version += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  pushFeed(event: FeedEvent): void {
    this.feed.push(event);
    if (this.feed.length > FEED_LIMIT) this.feed.splice(0, this.feed.length - FEED_LIMIT);
  }

  notify(kind: Notice['kind'], text: string): Notice {
    const notice = { id: ++this.noticeId, kind, text };
    this.notices = [...this.notices.slice(-19), notice];
    this.changed();
    return notice;
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  isInFlight(commandType: string): boolean {
    for (const type of this.inFlight.values()) if (type === commandType) return true;
    return false;
  }
}

export const store = new Store();
