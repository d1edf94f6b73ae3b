import type { QueryOperationTable } from '../services/service-call.js';

// Placeholder created by the lead so the pipeline compiles; the service owner replaces it.
export const iamOperations: QueryOperationTable = {};
