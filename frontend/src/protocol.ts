// The protocol this page speaks, in one place. The version is typed from the schema's `hello`
// (generated from wargame/protocol/messages.py): a server release that bumps it breaks the build
// until the client follows.
import type { Hello } from './generated/protocol';

export const PROTOCOL_VERSION: Hello['protocol'] = 2;
/** The websocket subprotocol offered beside `token.<seat token>` (messages.SUBPROTOCOL). */
export const SUBPROTOCOL = `wargame.v${PROTOCOL_VERSION}`;
