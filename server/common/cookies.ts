// Names both listeners agree on: the UI's access-token cookie, which the API sets and the
// receiver redacts from what it stores (browsers send a host's cookies to all its ports).
export const TOKEN_COOKIE = 'soveren_inspector_token';
