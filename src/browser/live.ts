// The preview client. Its real behaviour arrives with the browser issue.
export {};
