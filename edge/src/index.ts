import { DurableObject } from 'cloudflare:workers';
import { Hono } from 'hono';

export class SessionObject extends DurableObject {}
export class QuotaObject extends DurableObject {}
export class IdempotencyObject extends DurableObject {}

const app = new Hono<{ Bindings: Env }>();
app.get('/healthz', (c) => c.json({ status: 'ok' }));

export default app;
