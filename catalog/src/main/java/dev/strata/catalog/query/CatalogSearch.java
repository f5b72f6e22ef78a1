package dev.strata.catalog.query;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.StoredBuild;
import dev.strata.packages.InstalledPackage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Runs search terms over the catalog: by default over each node's latest build (what is published
 * now), or over every recorded build. A build is a hit when every term matches.
 */
public final class CatalogSearch {
  private CatalogSearch() {}

  public static List<SearchHit> run(Catalog catalog, List<String> terms, boolean allBuilds)
      throws CatalogException {
    if (terms.isEmpty()) {
      throw CatalogException.input(
          "give a search term: pkg=NAME[<|<=|=|>=|>VERSION], label=KEY[=VALUE] or base=REF");
    }
    List<SearchQuery> queries = new ArrayList<>();
    for (String term : terms) {
      queries.add(SearchQuery.parse(term));
    }
    List<StoredBuild> all = catalog.builds();
    Collection<StoredBuild> candidates = allBuilds ? all : BuildResolver.latestByNode(all).values();
    List<SearchHit> hits = new ArrayList<>();
    for (StoredBuild build : candidates) {
      List<String> matched = new ArrayList<>();
      List<InstalledPackage> packages = null;
      for (SearchQuery query : queries) {
        Optional<String> match;
        if (query instanceof SearchQuery.Package p) {
          if (packages == null) {
            packages = catalog.packages(build.id());
          }
          match = p.match(packages).map(x -> x.name() + " " + x.fullVersion());
        } else if (query instanceof SearchQuery.Label l) {
          match = l.match(build);
        } else {
          match = ((SearchQuery.Base) query).match(Lineage.of(build, all));
        }
        if (match.isEmpty()) {
          matched = null;
          break;
        }
        matched.add(match.get());
      }
      if (matched != null) {
        hits.add(new SearchHit(build, String.join(", ", matched)));
      }
    }
    return hits;
  }
}
