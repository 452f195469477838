// Find a held track by id or name as you type (a combobox over the picture's columns).
import { useState } from 'preact/hooks';
import { labelAt, rowOf } from '../../picture/columns';
import { searchTracks } from '../../picture/query';
import { filteredRows, pictureQuery, setPictureQuery } from '../../picture/view';
import type { Store } from '../../store';
import { useSlices } from '../common';

const LIMIT = 12;

/** Select a track everywhere; a filter that hides it is cleared so the table can show it. */
export function selectTrack(store: Store, objectId: string): void {
  const picture = store.picture;
  if (picture && pictureQuery(store).filter) {
    const row = rowOf(picture, objectId);
    if (row >= 0 && filteredRows(store, picture).indexOf(row) < 0) setPictureQuery(store, { filter: '' });
  }
  store.select(objectId);
}

export function TrackSearch() {
  const store = useSlices('picture');
  const { picture } = store;
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const matches = picture && open ? searchTracks(picture, text, LIMIT) : [];
  const choose = (row: number) => {
    if (!picture) return;
    const id = picture.objectId[row] ?? '';
    selectTrack(store, id);
    setText(picture.name[row] ?? id);
    setOpen(false);
  };
  return (
    <div class="track-search">
      <label for="track-search-input">Find a track</label>{' '}
      <input
        id="track-search-input"
        type="search"
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls="track-search-results"
        aria-autocomplete="list"
        aria-activedescendant={matches.length > 0 ? `track-search-option-${active}` : undefined}
        autoComplete="off"
        placeholder="id or name"
        data-testid="track-search"
        disabled={!picture}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
          setOpen(true);
        }}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(matches.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && matches.length > 0) {
            e.preventDefault();
            choose(matches[active] ?? matches[0]!);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {matches.length > 0 && (
        <ul id="track-search-results" role="listbox" class="search-results" data-testid="track-search-results">
          {matches.map((row, k) => {
            const id = picture!.objectId[row] ?? '';
            const name = picture!.name[row] ?? id;
            return (
              <li
                key={id}
                id={`track-search-option-${k}`}
                role="option"
                aria-selected={k === active}
                class={k === active ? 'active' : ''}
                data-testid={`track-search-option-${id}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(row);
                }}
              >
                <strong>{name}</strong> <span class="muted small">{id !== name ? id + ' · ' : ''}{labelAt(picture!, 'source', row)}</span>
              </li>
            );
          })}
        </ul>
      )}
      {open && text.trim() && picture && matches.length === 0 && (
        <span class="muted small" role="status">
          {' '}
          No held track matches.
        </span>
      )}
    </div>
  );
}
