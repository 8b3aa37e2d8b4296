// Moved to router-core (both doors trace their policy checks with it).
export { traced } from '@switchback/router-core';
