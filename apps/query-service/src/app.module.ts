import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule, HealthOptions } from '@hookline/service-kit';
import { QueryRuntime } from './shared/query-runtime';
import { GetEndpointGrpcController } from './get-endpoint/get-endpoint.grpc.controller';
import { GetEndpointHttpController } from './get-endpoint/get-endpoint.http.controller';
import { GetEndpointQuery } from './get-endpoint/get-endpoint.query';
import { GetEndpointHealthGrpcController } from './get-endpoint-health/get-endpoint-health.grpc.controller';
import { GetEndpointHealthHttpController } from './get-endpoint-health/get-endpoint-health.http.controller';
import { GetEndpointHealthQuery } from './get-endpoint-health/get-endpoint-health.query';
import { GetEndpointStatsGrpcController } from './get-endpoint-stats/get-endpoint-stats.grpc.controller';
import { GetEndpointStatsHttpController } from './get-endpoint-stats/get-endpoint-stats.http.controller';
import { GetEndpointStatsQuery } from './get-endpoint-stats/get-endpoint-stats.query';
import { GetTenantStatsGrpcController } from './get-tenant-stats/get-tenant-stats.grpc.controller';
import { GetTenantStatsHttpController } from './get-tenant-stats/get-tenant-stats.http.controller';
import { GetTenantStatsQuery } from './get-tenant-stats/get-tenant-stats.query';
import { GetMessageGrpcController } from './get-message/get-message.grpc.controller';
import { GetMessageHttpController } from './get-message/get-message.http.controller';
import { GetMessageQuery } from './get-message/get-message.query';
import { GetSourceGrpcController } from './get-source/get-source.grpc.controller';
import { GetSourceHttpController } from './get-source/get-source.http.controller';
import { GetSourceQuery } from './get-source/get-source.query';
import { ListAuditLogGrpcController } from './list-audit-log/list-audit-log.grpc.controller';
import { ListAuditLogHttpController } from './list-audit-log/list-audit-log.http.controller';
import { ListAuditLogQuery } from './list-audit-log/list-audit-log.query';
import { ListDeadLettersGrpcController } from './list-dead-letters/list-dead-letters.grpc.controller';
import { ListDeadLettersHttpController } from './list-dead-letters/list-dead-letters.http.controller';
import { ListDeadLettersQuery } from './list-dead-letters/list-dead-letters.query';
import { ListEndpointAttemptsGrpcController } from './list-endpoint-attempts/list-endpoint-attempts.grpc.controller';
import { ListEndpointAttemptsHttpController } from './list-endpoint-attempts/list-endpoint-attempts.http.controller';
import { ListEndpointAttemptsQuery } from './list-endpoint-attempts/list-endpoint-attempts.query';
import { ListEndpointsGrpcController } from './list-endpoints/list-endpoints.grpc.controller';
import { ListEndpointsHttpController } from './list-endpoints/list-endpoints.http.controller';
import { ListEndpointsQuery } from './list-endpoints/list-endpoints.query';
import { ListEventTypesGrpcController } from './list-event-types/list-event-types.grpc.controller';
import { ListEventTypesHttpController } from './list-event-types/list-event-types.http.controller';
import { ListEventTypesQuery } from './list-event-types/list-event-types.query';
import { ListMessageAttemptsGrpcController } from './list-message-attempts/list-message-attempts.grpc.controller';
import { ListMessageAttemptsHttpController } from './list-message-attempts/list-message-attempts.http.controller';
import { ListMessageAttemptsQuery } from './list-message-attempts/list-message-attempts.query';
import { ListMessagesGrpcController } from './list-messages/list-messages.grpc.controller';
import { ListMessagesHttpController } from './list-messages/list-messages.http.controller';
import { ListMessagesQuery } from './list-messages/list-messages.query';
import { ListSourceRefusedRequestsGrpcController } from './list-source-refused-requests/list-source-refused-requests.grpc.controller';
import { ListSourceRefusedRequestsHttpController } from './list-source-refused-requests/list-source-refused-requests.http.controller';
import { ListSourceRefusedRequestsQuery } from './list-source-refused-requests/list-source-refused-requests.query';
import { ListSourcesGrpcController } from './list-sources/list-sources.grpc.controller';
import { ListSourcesHttpController } from './list-sources/list-sources.http.controller';
import { ListSourcesQuery } from './list-sources/list-sources.query';
import { ProjectionLagHttpController } from './projection-lag/projection-lag.http.controller';
import { PROJECTION_LAG } from './projection-lag/projection-lag.token';
import { ProjectionLag } from './lag/projection-lag';
import { IngestUrls } from './shared/source-view';

/** The query service's Nest module: one provider per query use case, its REST and gRPC controllers, and health. */
@Module({})
export class QueryAppModule {
  static forRoot(runtime: QueryRuntime, lag: ProjectionLag, health: HealthOptions, ingestUrls: IngestUrls): DynamicModule {
    return {
      module: QueryAppModule,
      imports: [HealthModule.forRoot(health)],
      controllers: [
        ListMessagesHttpController, ListMessagesGrpcController, GetMessageHttpController, GetMessageGrpcController,
        ListMessageAttemptsHttpController, ListMessageAttemptsGrpcController, ListEndpointAttemptsHttpController,
        ListEndpointAttemptsGrpcController, GetEndpointHealthHttpController, GetEndpointHealthGrpcController,
        GetEndpointStatsHttpController, GetEndpointStatsGrpcController, GetTenantStatsHttpController, GetTenantStatsGrpcController,
        ListEndpointsHttpController, ListEndpointsGrpcController, GetEndpointHttpController, GetEndpointGrpcController,
        ListDeadLettersHttpController, ListDeadLettersGrpcController, ListEventTypesHttpController, ListEventTypesGrpcController,
        ListAuditLogHttpController, ListAuditLogGrpcController, ListSourcesHttpController, ListSourcesGrpcController,
        GetSourceHttpController, GetSourceGrpcController, ListSourceRefusedRequestsHttpController, ListSourceRefusedRequestsGrpcController,
        ProjectionLagHttpController,
      ],
      providers: [
        { provide: QueryRuntime, useValue: runtime },
        { provide: PROJECTION_LAG, useValue: lag },
        { provide: IngestUrls, useValue: ingestUrls },
        ListSourcesQuery, GetSourceQuery, ListSourceRefusedRequestsQuery,
        ListMessagesQuery, GetMessageQuery, ListMessageAttemptsQuery, ListEndpointAttemptsQuery, GetEndpointHealthQuery, GetEndpointStatsQuery,
        GetTenantStatsQuery, ListDeadLettersQuery, ListEventTypesQuery, ListAuditLogQuery, ListEndpointsQuery, GetEndpointQuery,
      ],
    };
  }
}
