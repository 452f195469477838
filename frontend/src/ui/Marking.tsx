// Classification and releasability markings on screen: the exercise banner (top and bottom of
// every page, from the view's `marking`) and the chip on every item that carries its own marking
// (injects, products, forwards, shared warnings and assessments).
import { markingLabel } from '../labels';
import type { Marking } from '../types';

/** The banner at the top or bottom of the page; nothing when the exercise has no marking. */
export function MarkingBanner(props: { marking: string; position: 'top' | 'bottom' }) {
  if (!props.marking) return null;
  return (
    <div class={`marking-banner marking-${props.position}`} role="note" aria-label="Exercise marking" data-testid={`marking-${props.position}`}>
      {props.marking}
    </div>
  );
}

/** An item's releasability as printed ('NOFORN', 'REL USA, GBR', 'REL FVEY'...): from its label, or
 *  from its marking. */
export function MarkingChip(props: { label?: string; marking?: Marking | null; testId?: string }) {
  const text = props.label ?? (props.marking ? markingLabel(props.marking) : '');
  if (!text) return null;
  const kind = text.startsWith('REL ') && !['REL FVEY', 'REL CSPO', 'REL ALL-PARTICIPANTS'].includes(text) ? 'rel' : text;
  return (
    <span class={`badge rel marking-${kind.replace(/[^A-Za-z]+/g, '-').toLowerCase()}`} title="Releasability" data-testid={props.testId}>
      {text}
    </span>
  );
}
