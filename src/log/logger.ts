/** The one winston logger: JSON lines in production and tests, readable lines in development. */
import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(opts: { level: string; format: 'json' | 'pretty'; silent?: boolean }): Logger {
  const format =
    opts.format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss' }),
          winston.format.printf(({ timestamp, level, message, ...meta }) => {
            const rest = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
            return `${String(timestamp)} ${level} ${String(message)}${rest}`;
          }),
        );
  return winston.createLogger({
    level: opts.level,
    format,
    silent: opts.silent ?? false,
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}
