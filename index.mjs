// ES module entry point: the CommonJS module's objects, not copies.
import api from './index.js';

export const {
  OWOXApiClient,
  OWOXApiError,
  OWOXAuthError,
  OWOXConfigError,
  API_KEY_PREFIX,
  parseOWOXApiKey,
  HttpNdjsonTraversal,
  DataMartDataTraversal,
} = api;
export default api;
