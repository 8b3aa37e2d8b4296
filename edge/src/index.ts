import { createApp } from './app.ts';
import { loadConfig } from './config/index.ts';

export { IdempotencyObject } from './objects/idempotency-object.ts';
export { QuotaObject } from './objects/quota-object.ts';
export { SessionObject } from './objects/session-object.ts';

export default createApp({ config: loadConfig() });
