import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_PATH } from '../query-service';

/** A client of one query-service gRPC service calling with `apiKey`, and `call(method, request)` resolving with the answer. */
export function queryGrpcClient(address: string, service: string, apiKey: string) {
  const definition = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, defaults: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated client constructors have no static types
  const api = (grpc.loadPackageDefinition(definition) as any).hookline.query.v1;
  const client = new api[service](address, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${apiKey}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted field by field
  const call = (method: string, request: object) => new Promise<any>((resolve, reject) =>
    client[method](request, md, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  return { client: client as grpc.Client, call };
}
