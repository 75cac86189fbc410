'use strict';
// Bundled by the CDK as a Lambda asset. Receives order events and persists them.
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const ddb = new DynamoDBClient({});
const sqs = new SQSClient({});

exports.handler = async (event) => {
  const order = typeof event.body === 'string' ? JSON.parse(event.body) : event;
  const orderId = order.orderId || `ord_${Date.now().toString(36)}`;

  await ddb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: {
      pk: { S: `ORDER#${orderId}` },
      sk: { S: 'META' },
      status: { S: 'RECEIVED' },
      createdAt: { S: new Date().toISOString() },
    },
  }));

  await sqs.send(new SendMessageCommand({
    QueueUrl: process.env.QUEUE_URL,
    MessageBody: JSON.stringify({ type: 'OrderReceived', orderId }),
  }));

  return { statusCode: 202, body: JSON.stringify({ orderId }) };
};
