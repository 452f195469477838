// A table that renders only the rows in view: fixed row height, spacer rows above and below, and
// native scrolling. Small tables (up to `renderAllBelow` rows) render every row.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

const OVERSCAN = 8;

export interface VirtualTableProps {
  count: number;
  rowHeight: number;
  /** Height of the scrolling viewport, px. */
  height: number;
  renderRow: (position: number) => JSX.Element;
  head: ComponentChildren;
  colgroup?: ComponentChildren;
  testId: string;
  label: string;
  tableClass?: string;
  /** Position to bring into view when `scrollKey` changes (-1: none). */
  scrollTo?: number;
  scrollKey?: unknown;
  /** Keyboard handling on the focusable viewport (arrow keys move a selection). */
  onKeyDown?: (e: KeyboardEvent) => void;
  activeDescendant?: string | undefined;
  role?: 'grid' | 'table';
  renderAllBelow?: number;
  empty?: ComponentChildren;
}

export function VirtualTable(props: VirtualTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(props.height);
  const frame = useRef(0);
  const all = props.count <= (props.renderAllBelow ?? 60);

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || props.height));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Bring a position into view (a selection made on the map or in the search box).
  useLayoutEffect(() => {
    const el = scroller.current;
    const target = props.scrollTo ?? -1;
    if (!el || target < 0) return;
    const head = (el.querySelector('thead') as HTMLElement | null)?.offsetHeight ?? 0;
    const top = head + target * props.rowHeight;
    const visibleTop = el.scrollTop + head;
    const visibleBottom = el.scrollTop + el.clientHeight - props.rowHeight;
    if (top < visibleTop || top > visibleBottom) {
      el.scrollTop = Math.max(0, top - head - (el.clientHeight - head) / 2);
      setScrollTop(el.scrollTop);
    }
  }, [props.scrollKey]);

  // Clamp after the row count shrinks (a filter): the browser already clamped scrollTop.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop !== scrollTop) setScrollTop(el.scrollTop);
  }, [props.count]);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (el) setScrollTop(el.scrollTop);
    });
  };

  let first = 0;
  let last = props.count;
  if (!all) {
    first = Math.max(0, Math.floor(scrollTop / props.rowHeight) - OVERSCAN);
    last = Math.min(props.count, Math.ceil((scrollTop + viewport) / props.rowHeight) + OVERSCAN);
  }
  const rows: JSX.Element[] = [];
  for (let p = first; p < last; p++) rows.push(props.renderRow(p));
  const top = first * props.rowHeight;
  const bottom = (props.count - last) * props.rowHeight;

  return (
    <div
      class="vscroll"
      ref={scroller}
      style={{ maxHeight: `${props.height}px` }}
      onScroll={onScroll}
      tabIndex={props.onKeyDown ? 0 : undefined}
      onKeyDown={props.onKeyDown}
      aria-label={props.onKeyDown ? props.label : undefined}
      aria-activedescendant={props.activeDescendant}
      role={props.onKeyDown ? 'group' : undefined}
    >
      <table
        class={`data vtable ${props.tableClass ?? ''}`}
        data-testid={props.testId}
        aria-label={props.label}
        aria-rowcount={props.count + 1}
        role={props.role}
        data-rows={props.count}
        data-rendered={last - first}
      >
        {props.colgroup}
        <thead>{props.head}</thead>
        <tbody>
          {top > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${top}px` }} />}
          {rows}
          {bottom > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${bottom}px` }} />}
          {props.count === 0 && props.empty}
        </tbody>
      </table>
    </div>
  );
}

/** Arrow keys, Page Up/Down, Home and End over `count` positions: the next position, or null. */
export function nextPosition(e: KeyboardEvent, current: number, count: number, page: number): number | null {
  if (count === 0) return null;
  switch (e.key) {
    case 'ArrowDown':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return Math.max(0, current < 0 ? 0 : current - 1);
    case 'PageDown':
      return Math.min(count - 1, Math.max(0, current) + page);
    case 'PageUp':
      return Math.max(0, current - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
