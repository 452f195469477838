// Classification and releasability markings on screen: the exercise banner (top and bottom of
// every page) and the chip on items that carry their own marking (injects).
import type { Welcome } from '../generated/protocol';

/** The exercise marking the server sends in `welcome.marking` ('' when it sends none). */
export function exerciseMarking(welcome: Welcome | null): string {
  const marking = (welcome as (Welcome & { marking?: unknown }) | null)?.marking;
  return typeof marking === 'string' ? marking.trim() : '';
}

/** The banner at the top or bottom of the page; nothing when the exercise has no marking. */
export function MarkingBanner(props: { marking: string; position: 'top' | 'bottom' }) {
  if (!props.marking) return null;
  return (
    <div class={`marking-banner marking-${props.position}`} role="note" aria-label="Exercise marking" data-testid={`marking-${props.position}`}>
      {props.marking}
    </div>
  );
}

/** "REL USA, GBR" for a REL marking with its nations, else the marking itself ("REL FVEY", "NOFORN"). */
export function markingText(releasability: string, releasableTo: readonly string[] | undefined): string {
  const nations = releasableTo ?? [];
  if (releasability === 'REL' && nations.length > 0) return `REL ${nations.join(', ')}`;
  return releasability;
}

export function MarkingChip(props: { releasability: string; releasableTo?: readonly string[] | undefined; testId?: string }) {
  const text = markingText(props.releasability, props.releasableTo);
  if (!text) return null;
  return (
    <span class={`badge rel marking-${props.releasability.replace(/[^A-Za-z]+/g, '-').toLowerCase()}`} title="Releasability" data-testid={props.testId}>
      {text}
    </span>
  );
}
