// Labels the server prints for markings and products (domain/common.py Marking.label,
// domain/products.py ProductSpec.label), computed the same way for items built from events.
import type { Marking, ProductSpec } from './types';

/** 'NOFORN', 'REL USA, GBR', 'REL FVEY', 'PUBLIC'... (NOFORN when the marking leaves it out). */
export function markingLabel(marking: Marking | null | undefined): string {
  const releasability = marking?.releasability ?? 'NOFORN';
  return releasability === 'REL' ? `REL ${(marking?.releasable_to ?? []).join(', ')}` : releasability;
}

/** 'tracks (all)', 'tracks (LEO, GEO, 12 objects)', 'warnings', 'assessments'. */
export function productLabel(product: ProductSpec): string {
  if (product.kind !== 'tracks') return product.kind;
  const objects = product.objects ?? [];
  const parts: string[] = [...(product.regimes ?? []), ...(objects.length ? [`${objects.length} objects`] : [])];
  return `tracks (${parts.length ? parts.join(', ') : 'all'})`;
}
