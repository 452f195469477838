import { useEffect, useRef, useState } from 'preact/hooks';
import type { PostChat } from '../generated/protocol';
import type { ChatLine } from '../types';
import { CommandError, useView, fmtUtc, Panel, playedPartners, useCommand } from './common';

type Tab = 'team' | 'coalition' | 'bilateral' | 'control' | 'all';

function channelKey(tab: Tab, me: string, partner: string): string | null {
  switch (tab) {
    case 'team':
      return `team:${me}`;
    case 'coalition':
      return 'coalition';
    case 'control':
      return 'control';
    case 'bilateral':
      return partner ? `bilateral:${[me, partner].sort().join('+')}` : null;
    case 'all':
      return null;
  }
}

const TAB_LABEL: Record<Tab, string> = {
  team: 'Team',
  coalition: 'Coalition',
  bilateral: 'Bilateral',
  control: 'Control',
  all: 'All channels',
};

/** Chat for a team (team / coalition / bilateral) or for control (control / coalition / all, read-only). */
export function ChatPanel(props: { control: boolean }) {
  const v = useView('chat', 'meta');
  const me = v.kind === 'team' ? v.nation : '';
  const tabs: Tab[] = props.control ? ['control', 'coalition', 'all'] : ['team', 'coalition', 'bilateral'];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'team');
  const partners = playedPartners(v, me);
  const [partner, setPartner] = useState('');
  const partnerId = partners.some((n) => n.id === partner) ? partner : (partners[0]?.id ?? '');
  const [text, setText] = useState('');
  const [busy, run, error] = useCommand();
  const key = channelKey(tab, me, partnerId);
  const all: ChatLine[] = v.kind === 'observer' ? [] : v.chat;
  const messages: ChatLine[] = tab === 'all' ? all : all.filter((m) => m.channel === key);
  const logRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, tab, partnerId]);
  const canPost = tab !== 'all' && (tab !== 'bilateral' || partnerId !== '') && v.phase !== 'ended';

  const send = async (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || !canPost) return;
    const command: PostChat = { type: 'post_chat', channel: tab, text: body };
    if (tab === 'bilateral') command.partner = partnerId;
    if (await run(command)) setText('');
  };

  return (
    <Panel id="chat" title="Chat">
      <div role="tablist" class="tabs" aria-label="Chat channels">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={t === tab}
            class={t === tab ? 'tab active' : 'tab'}
            data-testid={`chat-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {TAB_LABEL[t]}
          </button>
        ))}
      </div>
      {tab === 'bilateral' && (
        <label class="inline">
          With{' '}
          <select data-testid="chat-partner" value={partnerId} onChange={(e) => setPartner(e.currentTarget.value)}>
            {partners.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.id})
              </option>
            ))}
          </select>
        </label>
      )}
      <div role="tabpanel">
        {
          <ol class="chat-log scroll" data-testid="chat-log" ref={logRef} aria-live="polite">
            {messages.length === 0 && <li class="empty">No messages{tab === 'all' ? '' : ' on this channel'}.</li>}
            {messages.map((m) => (
              <li key={m.message_id} data-testid={`chat-message-${m.message_id}`} class={m.sender === me ? 'mine' : ''}>
                <span class="muted small">
                  {fmtUtc(m.at)}
                  {tab === 'all' ? ` · ${m.channel}` : ''}
                </span>{' '}
                <strong>{m.sender}</strong>: <span class="chat-text">{m.text}</span>
              </li>
            ))}
          </ol>
        }
      </div>
      {tab !== 'all' && (
        <form class="chat-form" onSubmit={send}>
          <label for="chat-input" class="sr-only">
            Message
          </label>
          <input
            id="chat-input"
            type="text"
            maxLength={4000}
            autoComplete="off"
            data-testid="chat-input"
            value={text}
            disabled={!canPost}
            placeholder={`Message to ${TAB_LABEL[tab].toLowerCase()}${tab === 'bilateral' && partnerId ? ' ' + partnerId : ''}`}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="primary" data-testid="chat-send" disabled={busy || !canPost || !text.trim()}>
            Send
          </button>
        </form>
      )}
      <CommandError error={error} testId="chat-error" />
    </Panel>
  );
}
