import { modelList, type RouterConfig } from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../env.ts';

export type ModelsOptions = { config: RouterConfig };

/** `GET /v1/models`: router-core's `modelList` for this key's tenant. */
export const listModels = ({ config }: ModelsOptions): Handler<AppEnv> =>
  function listModels(c) {
    return c.json(modelList(config, c.var.tenant));
  };
