-- Runs once, on the first start of an empty PostgreSQL volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- Two databases in one server: `jobcenter` for our store (DATABASE_URL) and `engine` for Operaton
-- (ENGINE_DATABASE_URL; every engine node of a cluster uses this one). Both create their schema at first start.
CREATE DATABASE jobcenter OWNER jobcenter;
CREATE DATABASE engine OWNER jobcenter;
