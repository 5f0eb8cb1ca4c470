/**
 * Headers for every response Next serves, static files and API routes included. The console
 * pages' Content-Security-Policy (per-request nonce, frame-ancestors) and HSTS are set at
 * request time by proxy.ts, since they depend on the request and on PUBLIC_URL; under
 * `npm start` the custom server sets these base headers on every response as well.
 * @type {import('next').NextConfig['headers']}
 */
async function headers() {
  return [
    {
      source: '/:path*',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'no-referrer' },
      ],
    },
  ];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['better-sqlite3'],
  headers,
};

export default nextConfig;
