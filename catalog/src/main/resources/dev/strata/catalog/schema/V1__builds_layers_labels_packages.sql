-- The first catalog schema: builds numbered per node, their tags, parents, layers, labels and
-- package inventories (name, epoch, version, release, arch).
CREATE TABLE builds (
  id INTEGER PRIMARY KEY,
  node TEXT NOT NULL,
  number INTEGER NOT NULL,
  reference TEXT NOT NULL,
  digest TEXT NOT NULL,
  config_digest TEXT,
  parent_node TEXT,
  base_reference TEXT,
  base_digest TEXT,
  containerfile_digest TEXT,
  project_entry TEXT,
  git_commit TEXT,
  build_args TEXT NOT NULL DEFAULT '{}',
  built_at TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,
  signature_state TEXT NOT NULL DEFAULT 'unsigned',
  plan_reasons TEXT NOT NULL DEFAULT '[]',
  UNIQUE (node, number)
);
CREATE INDEX builds_digest ON builds (digest);
CREATE TABLE build_tags (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (build_id, tag)
);
CREATE TABLE build_parents (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (build_id, position)
);
CREATE INDEX build_parents_digest ON build_parents (digest);
CREATE TABLE layers (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  digest TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (build_id, position)
);
CREATE TABLE labels (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (build_id, key)
);
CREATE TABLE packages (
  build_id INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  format TEXT NOT NULL,
  name TEXT NOT NULL,
  epoch INTEGER,
  version TEXT NOT NULL,
  release TEXT,
  arch TEXT NOT NULL
);
CREATE INDEX packages_build ON packages (build_id);
CREATE INDEX packages_name ON packages (name);
