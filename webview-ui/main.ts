// The Live Sessions view. Its real behaviour arrives with the VS Code surface issue.
export {};
