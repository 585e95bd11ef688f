/**
 * AWS: SDK v2 clients configured in one place ({@link com.bedrockportal.aws.AwsClients}), the adapters behind the
 * portal's ports (the provisioning module's cloud ports, foundation models, KMS key wrapping) and the AWS connection
 * page; in the embedded default ({@code portal.aws.mode=sandbox}) the simulated account answers instead.
 */
package com.bedrockportal.aws;
