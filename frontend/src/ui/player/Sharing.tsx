// Sharing by product: what we release (label, scope, marking, recipients and from which move each
// receives it, withdraw), a form to release a product, and the partners' products that reach us.
import { useState } from 'preact/hooks';
import type { ReleaseProduct } from '../../generated/protocol';
import type { Marking, ProductCard, ProductSpec, TeamView } from '../../types';
import { MarkingChip } from '../Marking';
import { CommandError, Empty, nationLabel, Panel, useCommand, useStore, useTeamView } from '../common';
import { ObjectSearch } from '../ObjectSearch';
import { inputsClosed, MarkingPicker, RecipientsPicker } from './ReleasePickers';

const REGIMES: NonNullable<ProductSpec['regimes']> = ['LEO', 'MEO', 'GEO', 'HEO'];
const KIND_HELP: Record<string, string> = {
  tracks: 'our track picture (all of it, some regimes or chosen objects), fused into their pictures',
  warnings: 'our conjunction and close-approach warnings',
  assessments: 'our threat assessments and their evidence',
};

/** "GBR from move 1, JPN from move 2" (after review), for each recipient. */
function effectiveText(card: ProductCard, move: number): string {
  return card.recipients
    .map((n) => {
      const at = card.effective[n];
      if (at === undefined) return n;
      return `${n} ${at <= move ? 'since' : 'from'} move ${at}`;
    })
    .join(', ');
}

/** Where a partner's product stands for us: in review, or received (tracks: fused into our
 *  picture at each adjudication from the move it takes effect). */
function receivedText(card: ProductCard, from: number, move: number): string {
  if (from > move) return `in disclosure review: reaches us in move ${from}`;
  if (card.product.kind !== 'tracks') return `received since move ${from}`;
  return from === move ? `fused into our picture when move ${from} is adjudicated` : `fused into our picture since move ${from}`;
}

function OwnProduct(props: { card: ProductCard; view: TeamView; closed: boolean; readOnly: boolean }) {
  const { card, view } = props;
  const [busy, run, error] = useCommand();
  const scope = card.product.kind === 'tracks' ? [...(card.product.regimes ?? []), ...(card.product.objects ?? [])].join(', ') || 'all' : '—';
  return (
    <tr data-testid={`product-row-${card.product_id}`} data-kind={card.product.kind} data-level={card.level}>
      <th scope="row" data-testid={`product-label-${card.product_id}`}>
        {card.label}
      </th>
      <td title={scope}>{card.product.kind === 'tracks' ? scope : card.product.kind}</td>
      <td>{card.level}</td>
      <td>
        <MarkingChip label={card.marking_label} testId={`product-marking-${card.product_id}`} />
      </td>
      <td data-testid={`product-recipients-${card.product_id}`}>{effectiveText(card, view.move)}</td>
      <td class="num">{card.released_move}</td>
      <td>
        {props.readOnly ? (
          '—'
        ) : (
          <>
            <button
              type="button"
              class="small"
              data-testid={`withdraw-${card.product_id}`}
              disabled={busy || props.closed}
              onClick={() => void run({ type: 'withdraw_product', product_id: card.product_id })}
            >
              {busy ? 'Withdrawing…' : 'Withdraw'}
            </button>
            <CommandError error={error} testId={`withdraw-error-${card.product_id}`} />
          </>
        )}
      </td>
    </tr>
  );
}

function ReleaseForm(props: { view: TeamView; closed: boolean }) {
  const v = props.view;
  const rules = v.rules;
  const [kind, setKind] = useState<ProductSpec['kind']>((rules.product_kinds[0] as ProductSpec['kind']) ?? 'tracks');
  const [regimes, setRegimes] = useState<NonNullable<ProductSpec['regimes']>>([]);
  const [objects, setObjects] = useState<string[]>([]);
  const [level, setLevel] = useState(rules.release_levels[0] ?? 'full');
  const [marking, setMarking] = useState<Marking>(rules.default_marking);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [problem, setProblem] = useState('');
  const [busy, run, error] = useCommand();
  const tracks = kind === 'tracks';
  const covered = (partner: string) => v.agreements.some((a) => a.nations.includes(partner) && (a.products ?? []).includes(kind));

  const submit = async (e: Event) => {
    e.preventDefault();
    if ((marking.releasability ?? 'NOFORN') === 'NOFORN') {
      setProblem('NOFORN releases to nobody: choose a marking that releases to partners.');
      return;
    }
    if (marking.releasability === 'REL' && !(marking.releasable_to ?? []).length) {
      setProblem('A REL marking names the nations it releases to.');
      return;
    }
    setProblem('');
    const product: ProductSpec = tracks ? { kind, regimes, objects } : { kind };
    const command: ReleaseProduct = {
      type: 'release_product',
      product,
      marking,
      level: (tracks ? level : 'full') as ReleaseProduct['level'],
      recipients,
    };
    if (await run(command)) {
      setObjects([]);
      setRecipients([]);
    }
  };

  return (
    <form class="order-form" data-testid="release-form" onSubmit={submit}>
      <fieldset disabled={props.closed || busy}>
        <legend>Release a product</legend>
        <label class="field">
          Product{' '}
          <select data-testid="release-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ProductSpec['kind'])}>
            {rules.product_kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <span class="muted small"> {KIND_HELP[kind] ?? ''}</span>
        </label>
        {tracks && (
          <>
            <fieldset class="inline-checks">
              <legend class="small">Orbit regimes (none ticked: all, unless objects are chosen)</legend>
              {REGIMES.map((r) => (
                <label key={r} class="check">
                  <input
                    type="checkbox"
                    data-testid={`release-regime-${r}`}
                    checked={regimes.includes(r)}
                    onChange={(e) => setRegimes(e.currentTarget.checked ? [...regimes, r] : regimes.filter((x) => x !== r))}
                  />{' '}
                  {r}
                </label>
              ))}
            </fieldset>
            <div class="field">
              <span class="small">Chosen objects: </span>
              {objects.length === 0 && <span class="muted small">none</span>}
              {objects.map((id) => (
                <button key={id} type="button" class="chip small" data-testid={`release-object-${id}`} title="Remove" onClick={() => setObjects(objects.filter((x) => x !== id))}>
                  {id} ×
                </button>
              ))}
              <ObjectSearch view={v} testId="release-object-search" label="Add an object to the product" onPick={(o) => setObjects(objects.includes(o.id) ? objects : [...objects, o.id])} />
            </div>
            <label class="field">
              Level{' '}
              <select data-testid="release-level" value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
                {rules.release_levels.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
              <span class="muted small"> full: current accuracy · delayed: a move old · degraded: inflated error</span>
            </label>
          </>
        )}
        <MarkingPicker view={v} value={marking} onChange={setMarking} testId="release-marking" />
        <RecipientsPicker view={v} value={recipients} onChange={setRecipients} testId="release-recipient" />
        <p class="muted small" data-testid="release-review">
          {rules.review_moves > 0
            ? `Foreign-disclosure review: a partner receives a new release ${rules.review_moves} move${rules.review_moves === 1 ? '' : 's'} after it is released` +
              (v.agreements.length ? ', except partners of a standing agreement covering this product, who receive it at once' : '') +
              (recipients.length ? ` (${recipients.map((r) => `${r}: ${covered(r) ? 'at once' : `move ${Math.max(v.move, 1) + rules.review_moves}`}`).join(', ')}).` : '.')
            : 'Partners receive a new release at once (no disclosure review in this ruleset).'}
        </p>
        {problem && (
          <p class="form-error" role="alert" data-testid="release-error">
            {problem}
          </p>
        )}
        <CommandError error={error} testId="release-rejected" />
        <button type="submit" class="primary" data-testid="release-submit">
          {busy ? 'Releasing…' : 'Release'}
        </button>
      </fieldset>
    </form>
  );
}

export function SharingPanel() {
  const v = useTeamView('sharing', 'meta');
  const { readOnly } = useStore();
  const closed = inputsClosed(v);
  return (
    <Panel id="sharing" title="Sharing: our products" wide>
      {v.products.length === 0 ? (
        <Empty>We release no product: partners receive nothing from us.</Empty>
      ) : (
        <table class="data" data-testid="products-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Scope</th>
              <th scope="col">Level</th>
              <th scope="col">Marking</th>
              <th scope="col">Recipients</th>
              <th scope="col" class="num">Released in move</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {v.products.map((card) => (
              <OwnProduct key={card.product_id} card={card} view={v} closed={!!closed} readOnly={readOnly} />
            ))}
          </tbody>
        </table>
      )}
      {closed && !readOnly && (
        <p class="muted small" data-testid="sharing-closed">
          Releases wait: {closed}.
        </p>
      )}
      {!readOnly && <ReleaseForm view={v} closed={!!closed} />}
      <h3>Partners' products that reach us</h3>
      {v.received.length === 0 ? (
        <Empty>No partner releases a product to us.</Empty>
      ) : (
        <table class="data" data-testid="received-table">
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Product</th>
              <th scope="col">Level</th>
              <th scope="col">Marking</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {v.received.map((card) => {
              const from = card.effective[v.nation] ?? card.released_move;
              const receiving = from <= v.move;
              return (
                <tr key={`${card.nation}-${card.product_id}`} data-testid={`received-row-${card.product_id}`} data-status={receiving ? 'receiving' : 'in-review'}>
                  <th scope="row" data-testid={`received-from-${card.product_id}`}>
                    {nationLabel(v, card.nation)}
                  </th>
                  <td>{card.label}</td>
                  <td>{card.level}</td>
                  <td>
                    <MarkingChip label={card.marking_label} testId={`received-marking-${card.product_id}`} />
                  </td>
                  <td data-testid={`received-effective-${card.product_id}`}>
                    {receivedText(card, from, v.move)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
