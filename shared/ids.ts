/** Branded ids: a NodeId cannot be passed where a ClientId is expected. */
export type NodeId = string & { readonly __brand: 'NodeId' };
export type ClientId = string & { readonly __brand: 'ClientId' };

export const asNodeId = (s: string): NodeId => s as NodeId;
export const asClientId = (s: string): ClientId => s as ClientId;
