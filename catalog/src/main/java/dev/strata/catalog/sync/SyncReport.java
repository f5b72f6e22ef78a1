package dev.strata.catalog.sync;

import dev.strata.catalog.BuildId;
import java.util.List;

/** What a sync did: builds recorded, images already in the catalog, images it could not read. */
public record SyncReport(List<BuildId> recorded, int alreadyKnown, List<String> problems) {
  public SyncReport {
    recorded = List.copyOf(recorded);
    problems = List.copyOf(problems);
  }
}
