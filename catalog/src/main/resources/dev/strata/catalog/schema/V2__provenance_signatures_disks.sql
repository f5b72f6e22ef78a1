-- What happens to a build after it is made (signature reference, attestations, disk images), the
-- image config for config diffs, the engine, builds read from a registry (origin = 'sync'), and
-- package source and license.
ALTER TABLE builds ADD COLUMN config TEXT;
ALTER TABLE builds ADD COLUMN engine TEXT;
ALTER TABLE builds ADD COLUMN origin TEXT NOT NULL DEFAULT 'build';
ALTER TABLE builds ADD COLUMN signature_reference TEXT;
ALTER TABLE builds ADD COLUMN signature_key TEXT;
ALTER TABLE packages ADD COLUMN source TEXT;
ALTER TABLE packages ADD COLUMN license TEXT;
CREATE TABLE attestations (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  predicate_type TEXT NOT NULL,
  digest TEXT,
  reference TEXT
);
CREATE INDEX attestations_build ON attestations (build_id);
CREATE TABLE disks (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  digest TEXT,
  made_at TEXT NOT NULL
);
CREATE INDEX disks_build ON disks (build_id);
