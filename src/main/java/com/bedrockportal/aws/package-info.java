/**
 * AWS: SDK v2 clients configured in one place ({@link com.bedrockportal.aws.AwsClients}) and the adapters behind the
 * portal's ports; in the embedded default ({@code portal.aws.mode=sandbox}) a simulated account answers instead.
 */
package com.bedrockportal.aws;
