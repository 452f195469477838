// Items of a view built from events as views_state.py builds them from the state: product and
// forward cards, and list upserts.
import type { InjectForwarded, ProductReleased, TaskingAnswered, TaskingRequest, TaskingRequested } from './generated/protocol';
import { markingLabel, productLabel } from './labels';
import type { ForwardCard, ProductCard, View } from './types';

/** No move is being adjudicated any more: team inputs are open again. */
export function reopen(view: View): void {
  view.closing_move = null;
}

export function upsert<T>(list: T[], item: T, same: (a: T) => boolean): void {
  const i = list.findIndex(same);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

/** A released product as a card (recipients and effective moves as the event lists them). */
export function productCard(b: ProductReleased, move: number): ProductCard {
  const effective: Record<string, number> = {};
  for (const n of b.recipients) {
    const at = b.effective[n];
    if (at !== undefined) effective[n] = at;
  }
  return {
    product_id: b.product_id,
    nation: b.nation,
    product: b.product,
    label: productLabel(b.product),
    marking: b.marking,
    marking_label: markingLabel(b.marking),
    level: b.level,
    recipients: [...b.recipients],
    effective,
    released_move: move,
  };
}

export function forwardCard(b: InjectForwarded, move: number): ForwardCard {
  return {
    forward_id: b.forward_id,
    nation: b.nation,
    inject_id: b.inject_id,
    title: b.title,
    text: b.text,
    marking: b.marking,
    marking_label: markingLabel(b.marking),
    recipients: [...b.recipients],
    move,
  };
}


/** A tasking request as the teams' and control's folds record it: pending until answered. */
export function taskingRequested(taskings: TaskingRequest[], b: TaskingRequested, move: number): void {
  const { request_id, requester, partner, sensor_id, object_id } = b;
  const request = { request_id, requester, partner, sensor_id, object_id, move, status: 'pending' as const, answer_reason: '' };
  upsert(taskings, request, (t) => t.request_id === request_id);
}

/** The partner's answer to a tasking request; false if the request is not held. */
export function taskingAnswered(taskings: TaskingRequest[], b: TaskingAnswered): boolean {
  const request = taskings.find((t) => t.request_id === b.request_id);
  if (!request) return false;
  request.status = b.accepted ? 'accepted' : 'declined';
  request.answer_reason = b.reason ?? '';
  return true;
}
