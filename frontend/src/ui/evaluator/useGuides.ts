// The Exercise Evaluation Guides (GET /api/eeg), fetched once per page: objectives, their core
// capabilities and critical tasks do not change during an exercise. What was observed and rated
// comes live from the view's evaluation, not from here.
import { useEffect, useState } from 'preact/hooks';
import { fetchGuides } from '../../api';
import type { Guides } from '../../evaluation';

let loaded: Promise<Guides> | null = null;

export function useGuides(): { guides: Guides | null; error: string } {
  const [guides, setGuides] = useState<Guides | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    loaded ??= fetchGuides();
    let live = true;
    loaded.then(
      (g) => live && setGuides(g),
      (err: unknown) => {
        loaded = null; // try again on the next mount
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return { guides, error };
}
