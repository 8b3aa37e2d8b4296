import { AUTO_MODEL, type RouterConfig } from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../env.ts';

export type ModelsOptions = { config: RouterConfig };

/** `GET /v1/models`: the virtual model `auto` and the aliases this key may ask for. */
export const listModels = ({ config }: ModelsOptions): Handler<AppEnv> =>
  function listModels(c) {
    const { allowedModels } = c.var.tenant;
    const mayAsk = (name: string) => allowedModels.includes('*') || allowedModels.includes(name);
    const data = [AUTO_MODEL, ...Object.keys(config.aliases)]
      .filter(mayAsk)
      .map((id) => ({ id, object: 'model', created: 0, owned_by: 'switchback' }));
    return c.json({ object: 'list', data });
  };
