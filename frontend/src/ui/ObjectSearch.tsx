// Pick any scenario object (the catalog may hold 50,000) without a 50,000-option select: a short
// select of the usual choices plus a search box whose pick joins the select.
import { useState } from 'preact/hooks';
import { store } from '../app';
import { searchObjects, type ObjectEntry } from '../objects';
import type { View } from '../types';

/** A search box listing matching objects; `onPick` gets the chosen id. Test ids `<testId>`, `<testId>-option-<ID>`. */
export function ObjectSearch(props: { view: View; testId: string; label: string; onPick: (object: ObjectEntry) => void }) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const matches = searchObjects(store, props.view, text);
  const listId = `${props.testId}-results`;
  const pick = (o: ObjectEntry) => {
    props.onPick(o);
    setText('');
  };
  return (
    <div class="track-search">
      <input
        type="search"
        role="combobox"
        aria-label={props.label}
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        placeholder="find by id or name"
        data-testid={props.testId}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, Math.max(0, matches.length - 1)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter' && matches.length > 0) {
            e.preventDefault();
            pick(matches[active] ?? matches[0]!);
          } else if (e.key === 'Escape') {
            setText('');
          }
        }}
      />
      {matches.length > 0 && (
        <ul id={listId} role="listbox" class="search-results">
          {matches.map((o, k) => (
            <li
              key={o.id}
              role="option"
              aria-selected={k === active}
              class={k === active ? 'active' : ''}
              data-testid={`${props.testId}-option-${o.id}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
            >
              <strong>{o.name}</strong> <span class="muted small">{o.id}{o.owner ? ' · ' + o.owner : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
