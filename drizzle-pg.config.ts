import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin (db/schema-pg.ts) has its own migrations, generated and committed like SQLite's
// (`npm run db:generate:pg`); the app applies them at start under pg_advisory_lock (db/client-pg.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg',
});
