export {
  buildLayout,
  parsePlacement,
  placementName,
  type Layout,
  type LayoutSpec,
  type NodeLoad,
  type Placement,
} from './layout.js';
export { LAYOUT_PATHS, pathBetween, pathUsesHca, type LayoutPath } from './path.js';
export { closedFormPaths, ranksPerHost } from './hosts.js';
