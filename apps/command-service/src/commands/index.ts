import { Type } from '@nestjs/common';
import { ApproveEndpointHandler } from './approve-endpoint/approve-endpoint.handler';
import { ApproveEndpointGrpcController } from './approve-endpoint/approve-endpoint.grpc.controller';
import { ApproveEndpointHttpController } from './approve-endpoint/approve-endpoint.http.controller';
import { CreateApiKeyHandler } from './create-api-key/create-api-key.handler';
import { CreateApiKeyGrpcController } from './create-api-key/create-api-key.grpc.controller';
import { CreateApiKeyHttpController } from './create-api-key/create-api-key.http.controller';
import { CreatePortalSessionHandler } from './create-portal-session/create-portal-session.handler';
import { CreatePortalSessionGrpcController } from './create-portal-session/create-portal-session.grpc.controller';
import { CreatePortalSessionHttpController } from './create-portal-session/create-portal-session.http.controller';
import { CreateEndpointHandler } from './create-endpoint/create-endpoint.handler';
import { CreateEndpointGrpcController } from './create-endpoint/create-endpoint.grpc.controller';
import { CreateEndpointHttpController } from './create-endpoint/create-endpoint.http.controller';
import { CreateEventTypeHandler } from './create-event-type/create-event-type.handler';
import { CreateEventTypeGrpcController } from './create-event-type/create-event-type.grpc.controller';
import { CreateEventTypeHttpController } from './create-event-type/create-event-type.http.controller';
import { CreateSourceHandler } from './create-source/create-source.handler';
import { CreateSourceGrpcController } from './create-source/create-source.grpc.controller';
import { CreateSourceHttpController } from './create-source/create-source.http.controller';
import { CreateTenantHandler } from './create-tenant/create-tenant.handler';
import { CreateTenantGrpcController } from './create-tenant/create-tenant.grpc.controller';
import { CreateTenantHttpController } from './create-tenant/create-tenant.http.controller';
import { DeclineEventTypesHandler } from './decline-event-types/decline-event-types.handler';
import { DeclineEventTypesGrpcController } from './decline-event-types/decline-event-types.grpc.controller';
import { DeclineEventTypesHttpController } from './decline-event-types/decline-event-types.http.controller';
import { DeleteEndpointHandler } from './delete-endpoint/delete-endpoint.handler';
import { DeleteEndpointGrpcController } from './delete-endpoint/delete-endpoint.grpc.controller';
import { DeleteEndpointHttpController } from './delete-endpoint/delete-endpoint.http.controller';
import { DeleteEventTypeHandler } from './delete-event-type/delete-event-type.handler';
import { DeleteEventTypeHttpController } from './delete-event-type/delete-event-type.http.controller';
import { DeleteSourceHandler } from './delete-source/delete-source.handler';
import { DeleteSourceGrpcController } from './delete-source/delete-source.grpc.controller';
import { DeleteSourceHttpController } from './delete-source/delete-source.http.controller';
import { DeleteTenantHandler } from './delete-tenant/delete-tenant.handler';
import { DeleteTenantGrpcController } from './delete-tenant/delete-tenant.grpc.controller';
import { DeleteTenantHttpController } from './delete-tenant/delete-tenant.http.controller';
import { DeprecateEventTypeHandler } from './deprecate-event-type/deprecate-event-type.handler';
import { DeprecateEventTypeHttpController } from './deprecate-event-type/deprecate-event-type.http.controller';
import { DisableEndpointHandler } from './disable-endpoint/disable-endpoint.handler';
import { DisableEndpointGrpcController } from './disable-endpoint/disable-endpoint.grpc.controller';
import { DisableEndpointHttpController } from './disable-endpoint/disable-endpoint.http.controller';
import { ExpungeMessageContentHandler } from './expunge-message-content/expunge-message-content.handler';
import { ExpungeMessageContentGrpcController } from './expunge-message-content/expunge-message-content.grpc.controller';
import { ExpungeMessageContentHttpController } from './expunge-message-content/expunge-message-content.http.controller';
import { EnableEndpointHandler } from './enable-endpoint/enable-endpoint.handler';
import { EnableEndpointGrpcController } from './enable-endpoint/enable-endpoint.grpc.controller';
import { EnableEndpointHttpController } from './enable-endpoint/enable-endpoint.http.controller';
import { ImportEventTypesHandler } from './import-event-types/import-event-types.handler';
import { ImportEventTypesGrpcController } from './import-event-types/import-event-types.grpc.controller';
import { ImportEventTypesHttpController } from './import-event-types/import-event-types.http.controller';
import { PublishEventTypeSchemaHandler } from './publish-event-type-schema/publish-event-type-schema.handler';
import { PublishEventTypeSchemaGrpcController } from './publish-event-type-schema/publish-event-type-schema.grpc.controller';
import { PublishEventTypeSchemaHttpController } from './publish-event-type-schema/publish-event-type-schema.http.controller';
import { PreviewTransformationHandler } from './preview-transformation/preview-transformation.handler';
import { PreviewTransformationGrpcController } from './preview-transformation/preview-transformation.grpc.controller';
import { PreviewTransformationHttpController } from './preview-transformation/preview-transformation.http.controller';
import { PublishMessageHandler } from './publish-message/publish-message.handler';
import { PublishMessageGrpcController } from './publish-message/publish-message.grpc.controller';
import { PublishMessageHttpController } from './publish-message/publish-message.http.controller';
import { RecoverEndpointHandler } from './recover-endpoint/recover-endpoint.handler';
import { RecoverEndpointGrpcController } from './recover-endpoint/recover-endpoint.grpc.controller';
import { RecoverEndpointHttpController } from './recover-endpoint/recover-endpoint.http.controller';
import { RecoverTenantHandler } from './recover-tenant/recover-tenant.handler';
import { RecoverTenantGrpcController } from './recover-tenant/recover-tenant.grpc.controller';
import { RecoverTenantHttpController } from './recover-tenant/recover-tenant.http.controller';
import { RejectEndpointHandler } from './reject-endpoint/reject-endpoint.handler';
import { ReplayEndpointHandler } from './replay-endpoint/replay-endpoint.handler';
import { ReplayEndpointGrpcController } from './replay-endpoint/replay-endpoint.grpc.controller';
import { ReplayEndpointHttpController } from './replay-endpoint/replay-endpoint.http.controller';
import { RejectEndpointHttpController } from './reject-endpoint/reject-endpoint.http.controller';
import { ResealSealedValuesHandler } from './reseal-sealed-values/reseal-sealed-values.handler';
import { ResealSealedValuesGrpcController } from './reseal-sealed-values/reseal-sealed-values.grpc.controller';
import { ResealSealedValuesHttpController } from './reseal-sealed-values/reseal-sealed-values.http.controller';
import { ResendMessageHandler } from './resend-message/resend-message.handler';
import { SendTestMessageHandler } from './send-test-message/send-test-message.handler';
import { SendTestMessageGrpcController } from './send-test-message/send-test-message.grpc.controller';
import { SendTestMessageHttpController } from './send-test-message/send-test-message.http.controller';
import { ResendMessageGrpcController } from './resend-message/resend-message.grpc.controller';
import { ResendMessageHttpController } from './resend-message/resend-message.http.controller';
import { RevokeApiKeyHandler } from './revoke-api-key/revoke-api-key.handler';
import { RevokeApiKeyGrpcController } from './revoke-api-key/revoke-api-key.grpc.controller';
import { RevokeApiKeyHttpController } from './revoke-api-key/revoke-api-key.http.controller';
import { PatchEndpointHeadersHandler } from './patch-endpoint-headers/patch-endpoint-headers.handler';
import { PatchEndpointHeadersGrpcController } from './patch-endpoint-headers/patch-endpoint-headers.grpc.controller';
import { PatchEndpointHeadersHttpController } from './patch-endpoint-headers/patch-endpoint-headers.http.controller';
import { RotateEndpointSecretHandler } from './rotate-endpoint-secret/rotate-endpoint-secret.handler';
import { RotateEndpointSecretGrpcController } from './rotate-endpoint-secret/rotate-endpoint-secret.grpc.controller';
import { RotateEndpointSecretHttpController } from './rotate-endpoint-secret/rotate-endpoint-secret.http.controller';
import { UpdateEndpointHandler } from './update-endpoint/update-endpoint.handler';
import { UpdateEndpointGrpcController } from './update-endpoint/update-endpoint.grpc.controller';
import { UpdateEndpointHttpController } from './update-endpoint/update-endpoint.http.controller';
import { UpdateEventTypeHandler } from './update-event-type/update-event-type.handler';
import { UpdateEventTypeHttpController } from './update-event-type/update-event-type.http.controller';
import { UpdateSourceHandler } from './update-source/update-source.handler';
import { UpdateSourceGrpcController } from './update-source/update-source.grpc.controller';
import { UpdateSourceHttpController } from './update-source/update-source.http.controller';
import { IngestWebhookHandler } from '../ingest/http/ingest-webhook.handler';
import { IngestWebhookHttpController } from '../ingest/http/ingest-webhook.http.controller';
import { UpdateTenantHandler } from './update-tenant/update-tenant.handler';
import { UpdateTenantGrpcController } from './update-tenant/update-tenant.grpc.controller';
import { UpdateTenantHttpController } from './update-tenant/update-tenant.http.controller';

/** Every use case of the command service: its handler and its transport adapters (REST, gRPC). */
export const COMMAND_USE_CASES: Array<{ handler: Type; controllers: Type[] }> = [
  { handler: ApproveEndpointHandler, controllers: [ApproveEndpointGrpcController, ApproveEndpointHttpController] },
  { handler: CreateApiKeyHandler, controllers: [CreateApiKeyGrpcController, CreateApiKeyHttpController] },
  { handler: CreatePortalSessionHandler, controllers: [CreatePortalSessionGrpcController, CreatePortalSessionHttpController] },
  { handler: CreateEndpointHandler, controllers: [CreateEndpointGrpcController, CreateEndpointHttpController] },
  { handler: CreateEventTypeHandler, controllers: [CreateEventTypeGrpcController, CreateEventTypeHttpController] },
  { handler: CreateSourceHandler, controllers: [CreateSourceGrpcController, CreateSourceHttpController] },
  { handler: CreateTenantHandler, controllers: [CreateTenantGrpcController, CreateTenantHttpController] },
  { handler: DeclineEventTypesHandler, controllers: [DeclineEventTypesGrpcController, DeclineEventTypesHttpController] },
  { handler: DeleteEndpointHandler, controllers: [DeleteEndpointGrpcController, DeleteEndpointHttpController] },
  { handler: DeleteEventTypeHandler, controllers: [DeleteEventTypeHttpController] },
  { handler: DeleteSourceHandler, controllers: [DeleteSourceGrpcController, DeleteSourceHttpController] },
  { handler: DeleteTenantHandler, controllers: [DeleteTenantGrpcController, DeleteTenantHttpController] },
  { handler: DeprecateEventTypeHandler, controllers: [DeprecateEventTypeHttpController] },
  { handler: DisableEndpointHandler, controllers: [DisableEndpointGrpcController, DisableEndpointHttpController] },
  { handler: EnableEndpointHandler, controllers: [EnableEndpointGrpcController, EnableEndpointHttpController] },
  { handler: ExpungeMessageContentHandler, controllers: [ExpungeMessageContentGrpcController, ExpungeMessageContentHttpController] },
  { handler: ImportEventTypesHandler, controllers: [ImportEventTypesGrpcController, ImportEventTypesHttpController] },
  { handler: PatchEndpointHeadersHandler, controllers: [PatchEndpointHeadersGrpcController, PatchEndpointHeadersHttpController] },
  { handler: PreviewTransformationHandler, controllers: [PreviewTransformationGrpcController, PreviewTransformationHttpController] },
  { handler: PublishEventTypeSchemaHandler, controllers: [PublishEventTypeSchemaGrpcController, PublishEventTypeSchemaHttpController] },
  { handler: PublishMessageHandler, controllers: [PublishMessageGrpcController, PublishMessageHttpController] },
  { handler: RecoverEndpointHandler, controllers: [RecoverEndpointGrpcController, RecoverEndpointHttpController] },
  { handler: RecoverTenantHandler, controllers: [RecoverTenantGrpcController, RecoverTenantHttpController] },
  { handler: RejectEndpointHandler, controllers: [RejectEndpointHttpController] },
  { handler: ReplayEndpointHandler, controllers: [ReplayEndpointGrpcController, ReplayEndpointHttpController] },
  { handler: ResealSealedValuesHandler, controllers: [ResealSealedValuesGrpcController, ResealSealedValuesHttpController] },
  { handler: ResendMessageHandler, controllers: [ResendMessageGrpcController, ResendMessageHttpController] },
  { handler: SendTestMessageHandler, controllers: [SendTestMessageGrpcController, SendTestMessageHttpController] },
  { handler: RevokeApiKeyHandler, controllers: [RevokeApiKeyGrpcController, RevokeApiKeyHttpController] },
  { handler: RotateEndpointSecretHandler, controllers: [RotateEndpointSecretGrpcController, RotateEndpointSecretHttpController] },
  { handler: UpdateEndpointHandler, controllers: [UpdateEndpointGrpcController, UpdateEndpointHttpController] },
  { handler: UpdateEventTypeHandler, controllers: [UpdateEventTypeHttpController] },
  { handler: UpdateSourceHandler, controllers: [UpdateSourceGrpcController, UpdateSourceHttpController] },
  { handler: IngestWebhookHandler, controllers: [IngestWebhookHttpController] },
  { handler: UpdateTenantHandler, controllers: [UpdateTenantGrpcController, UpdateTenantHttpController] },
];
