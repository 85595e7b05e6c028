export { buildCatalog, describeScenario, groupCatalog, scenarioHref, type CatalogGroup, type CatalogItem, type CatalogKind, type CatalogSource } from './catalogGroups.ts';
export { renderCatalog, type CatalogViewOptions } from './CatalogView.ts';
