import type { RouterConfig } from '@switchback/router-core';
import { isLocalUrl } from '../providers/create-provider.ts';

const rebase = (url: string, origin: string): string => {
  if (!isLocalUrl(url)) return url;
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`.replace(/\/+$/, '');
};

/**
 * The config with every provider URL that points at this machine moved to `providersUrl`'s
 * origin: the example config names the simulator at 127.0.0.1:8789, and `PROVIDERS_PORT` may
 * put it elsewhere. Remote URLs are left alone.
 */
export const rebaseLocalProviders = (config: RouterConfig, providersUrl: string): RouterConfig => {
  const origin = new URL(providersUrl).origin;
  return {
    ...config,
    providers: config.providers.map((provider) => ({
      ...provider,
      ...(provider.baseUrl === undefined ? {} : { baseUrl: rebase(provider.baseUrl, origin) }),
      ...(provider.backends === undefined
        ? {}
        : { backends: provider.backends.map((url) => rebase(url, origin)) }),
    })),
  };
};
