/**
 * Every answer a route describes, by the name a route gives it (`ok.json` in
 * define-route.ts). The route table names answers rather than holding their schemas, so
 * that the api's cold start never makes them: this module is loaded with the OpenAPI
 * document (shared/api/openapi.ts) and by the contract tests.
 */
import * as z from 'zod/mini';
import * as A from './answer-schemas.ts';
import { DeskBody, PublishBody } from './desk-schemas.ts';
import { SummaryBody } from './summary-schemas.ts';

export const ANSWERS = {
  Me: A.Me,
  CatalogueBody: A.CatalogueBody,
  UnitsBody: A.UnitsBody,
  CreatedUpload: A.CreatedUpload,
  UploadStatusBody: A.UploadStatusBody,
  SubmissionsBody: A.SubmissionsBody,
  CompletenessBody: A.CompletenessBody,
  UnitMonthsBody: A.UnitMonthsBody,
  HistoryBody: A.HistoryBody,
  ReviewResultBody: A.ReviewResultBody,
  IssuedTokenBody: A.IssuedTokenBody,
  TokenListBody: A.TokenListBody,
  RevocationBody: A.RevocationBody,
  SummaryBody,
  DeskBody,
  PublishBody,
  /** The OpenAPI document itself: any JSON object. */
  OpenApiDocument: z.looseObject({}),
} as const satisfies Record<string, z.ZodMiniType>;

export type AnswerName = keyof typeof ANSWERS;
