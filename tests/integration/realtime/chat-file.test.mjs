// The chat suite against the embedded file store (the default).

import { chatSuite } from './chat-suite.mjs';

chatSuite('file');
