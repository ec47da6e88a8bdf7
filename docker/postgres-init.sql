-- The engine's secondary storage lives beside our store in the same server, in its own database.
CREATE DATABASE camunda_secondary OWNER jobcenter;
