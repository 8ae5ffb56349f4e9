/** The SecurityLog instance (created in AppModule.forPlatform, shared by the Apollo plugin and the resolver). */
export const SECURITY_LOG = Symbol('SECURITY_LOG');
