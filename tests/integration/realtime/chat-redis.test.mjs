// The chat suite against RedisStore on a real redis-server started on a free loopback port.

import { describe } from 'node:test';

import { chatSuite } from './chat-suite.mjs';
import { redisServerPath } from './helpers.mjs';

describe('chat on Redis', { skip: redisServerPath ? false : 'redis-server not found' }, () => {
    chatSuite('redis');
});
